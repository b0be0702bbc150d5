export { actorOf, installAuthHook, SESSION_COOKIE } from "./auth-hook.ts";
export { type Actor, atLeast, canManageStores, canSeeStore, seesAllStores } from "./policy.ts";
export { identityRoutes } from "./routes.ts";
export {
  actorOfUser,
  createOrg,
  createUser,
  getOrg,
  listUsers,
  login,
  membershipsOf,
  resetPassword,
  resolveSession,
} from "./service.ts";
