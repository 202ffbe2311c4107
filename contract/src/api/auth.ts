import { z } from 'zod';

export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, 'usernames use letters, digits, "_", "." and "-"');
export const passwordSchema = z.string().min(8, 'passwords have at least 8 characters').max(256);

export const registerRequestSchema = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  username: usernameSchema,
  password: passwordSchema,
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

/**
 * JSON or application/x-www-form-urlencoded (OAuth2 password grant style). `username` may hold an
 * email address; `email` is accepted as an alias.
 */
export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(254).optional(),
    email: z.string().trim().min(1).max(254).optional(),
    password: z.string().min(1).max(256),
    grant_type: z.literal('password').optional(),
  })
  .refine((b) => b.username !== undefined || b.email !== undefined, {
    message: 'give a username or an email',
    path: ['username'],
  });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  /** Lifetime of the access token, seconds. */
  expires_in: z.number().int().positive(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const refreshRequestSchema = z.object({ refresh_token: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const logoutRequestSchema = z.object({
  /** Optional: also revoke this refresh token's family when it differs from the access token's. */
  refresh_token: z.string().min(1).max(512).optional(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;
