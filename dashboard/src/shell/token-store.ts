// The API token lives in localStorage so a reload or a deep link opened in a new tab stays
// signed in; sign-out and a 401 remove it.
const KEY = 'telltale.token';

export function loadToken(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  window.localStorage.setItem(KEY, token);
}

export function clearToken(): void {
  window.localStorage.removeItem(KEY);
}
