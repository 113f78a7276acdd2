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

  /** Kept as typed-and-trimmed: "My borrows" follows the name while it is being typed. */
  set(name: string): void {
    name = name.trim();
    this.value = name;
    try {
      window.localStorage.setItem(KEY, name);
    } catch {
      /* private mode: keep it for this tab */
    }
  }
}
