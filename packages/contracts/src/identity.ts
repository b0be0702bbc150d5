import { z } from "zod";

export const roles = ["owner", "admin", "supervisor", "agent"] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const User = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  storeIds: z.array(z.string()),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const Org = z.object({ id: z.string(), name: z.string(), timezone: z.string() });
export type Org = z.infer<typeof Org>;

/** What the web app needs after login: who I am, the CSRF token to echo, which stores I serve. */
export const Me = z.object({
  user: User,
  org: Org,
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const Session = z.object({
  id: z.string(),
  current: z.boolean(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});
export type Session = z.infer<typeof Session>;

export const CreateUserRequest = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  role: Role,
  password: z.string().min(8).max(256),
  storeIds: z.array(z.string()).max(1000).default([]),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  role: Role.optional(),
  disabled: z.boolean().optional(),
  storeIds: z.array(z.string()).max(1000).optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
