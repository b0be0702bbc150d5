export { actorOf, installAuthHook, SESSION_COOKIE } from "./auth-hook.ts";
export { type Actor, canManageStores, canSeeStore, seesAllStores } from "./policy.ts";
export { identityRoutes } from "./routes.ts";
export {
  createOrg,
  createUser,
  getOrg,
  listUsers,
  login,
  resetPassword,
  resolveSession,
} from "./service.ts";
