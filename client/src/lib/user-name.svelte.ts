// The name this browser borrows as, remembered across reloads.

const KEY = 'floatline.user';

function read(): string {
  try {
    return window.localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export class UserName {
  value = $state(read());

  set(name: string): void {
    this.value = name;
    try {
      window.localStorage.setItem(KEY, name.trim());
    } catch {
      /* private mode: keep it for this tab */
    }
  }
}
