/** Calling the shell: every failure becomes an AppError with the shell's `{code, message}`. */
import { invoke } from '@tauri-apps/api/core';
import type { CommandError } from './types';

export class AppError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const ce = e as CommandError;
    return new AppError(String(ce.code), String(ce.message));
  }
  if (e instanceof Error) return new AppError('ui', e.message);
  return new AppError('shell', String(e));
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}
