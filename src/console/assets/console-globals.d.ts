// What core.js publishes on window for the page scripts: tsc checks core.js's object against it, and every page's use of it.

interface ConsoleUI {
  api(method: string, path: string, body?: unknown): Promise<any>;
  h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, unknown> | null, children?: unknown): HTMLElementTagNameMap[K];
  append(el: Element, children: unknown): Element;
  clear<T extends Element | null>(el: T): T;
  time(iso: string | null | undefined): string;
  localTime(iso: string | null | undefined): string;
  isoFromLocal(value: string): string;
  localInputValue(iso: string): string;
  badge(status: string): HTMLElement;
  shortId(id: string): HTMLElement;
  flash(message: string): void;
  fail(err: unknown): void;
  formValues(form: HTMLFormElement): Record<string, any>;
  /** `control` (a button or form control) is disabled while `action` runs. */
  busy(control: Element | EventTarget | null, action: () => unknown): Promise<void>;
  onSubmit(form: HTMLFormElement | HTMLElement, action: (values: Record<string, any>, form: HTMLFormElement) => unknown): void;
  searchParams(): URLSearchParams;
  /** Fills a GET filter form's fields from the address. */
  showFilters(formSelector: string, params: URLSearchParams, names: string[]): void;
  qs(params: Record<string, unknown>): string;
  focus(el: Element | null): void;
  pad(n: number, w?: number): string;
  /** The form control with this id (an input, select or textarea), typed for its value. */
  input(id: string): HTMLInputElement;
}

interface Window {
  ConsoleUI: ConsoleUI;
}
