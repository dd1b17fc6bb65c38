/**
 * The View Log as a list the keyboard can walk, however long: only the rows in sight (and a few around them) are in
 * the document, placed over a spacer as tall as all of them, so a log of a million lines scrolls as one of twenty.
 *
 * Accessibility: the list is a `listbox` that keeps the focus; the active row is its `aria-activedescendant`, with its
 * position in the whole list (`aria-posinset`/`aria-setsize`), so a screen reader reads the line and where it is.
 */

/** Height of one row in CSS pixels (`--row` in the style sheet). */
export const ROW_HEIGHT = 20;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 20;

/** What the list shows of a row. */
export interface RowView {
  readonly text: string;
  /** Line number, 0 for a row that is not a line of the log. */
  readonly line: number;
  /** Classes: `sent`, `received`, `problem`, `evidence-ok`, … */
  readonly classes: string;
}

export interface LogViewOptions {
  /** The row at a position of the shown list. */
  readonly row: (position: number) => RowView;
  /** Called when the active row changes (click, keys); `position` in the shown list. */
  readonly onActivate: (position: number) => void;
  /** Called when the pointer rests on a row (undefined: it left the rows). */
  readonly onHover: (position: number | undefined, element: HTMLElement | undefined) => void;
}

export class LogView {
  private count = 0;
  private active = -1;
  private readonly spacer: HTMLElement;
  private readonly drawn = new Map<number, HTMLElement>();
  private pending = false;
  private widest = 0;
  private hoverTimer: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: LogViewOptions,
  ) {
    this.spacer = root.querySelector('.spacer') as HTMLElement;
    root.addEventListener('scroll', () => this.schedule());
    root.addEventListener('keydown', (e) => this.key(e));
    root.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.position !== undefined) this.activate(Number(row.dataset.position));
    });
    root.addEventListener('mouseover', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      window.clearTimeout(this.hoverTimer);
      if (row?.dataset.position === undefined) return this.options.onHover(undefined, undefined);
      this.hoverTimer = window.setTimeout(() => this.options.onHover(Number(row.dataset.position), row), 250);
    });
    root.addEventListener('mouseleave', () => {
      window.clearTimeout(this.hoverTimer);
      this.options.onHover(undefined, undefined);
    });
    root.addEventListener('focus', () => {
      if (this.active < 0 && this.count > 0) this.activate(0);
    });
  }

  /** The number of rows shown changed (rows came in, or a filter changed them): `reset` drops what was drawn. */
  setCount(count: number, reset = false): void {
    this.count = count;
    this.root.dataset.rows = String(count);
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    if (reset) {
      for (const e of this.drawn.values()) e.remove();
      this.drawn.clear();
      this.active = -1;
      this.widest = 0;
      this.root.removeAttribute('aria-activedescendant');
      this.root.scrollTop = 0;
    }
    this.schedule();
  }

  /** Redraws the rows in sight (classes changed: evidence, selection). */
  refresh(): void {
    for (const e of this.drawn.values()) e.remove();
    this.drawn.clear();
    this.schedule();
  }

  get activePosition(): number {
    return this.active;
  }

  /** Makes a row active, scrolls it into sight, and tells the page. */
  activate(position: number, tell = true): void {
    if (this.count === 0) return;
    const p = Math.max(0, Math.min(this.count - 1, position));
    this.active = p;
    this.scrollTo(p);
    this.draw();
    this.root.setAttribute('aria-activedescendant', `row-${p}`);
    if (tell) this.options.onActivate(p);
  }

  /** Scrolls so the row is in sight (centred if it was far away). */
  scrollTo(position: number): void {
    const top = position * ROW_HEIGHT;
    const h = this.root.clientHeight;
    if (top < this.root.scrollTop) this.root.scrollTop = top;
    else if (top + ROW_HEIGHT > this.root.scrollTop + h) this.root.scrollTop = top + ROW_HEIGHT - h;
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.root.clientHeight / ROW_HEIGHT) - 1);
    const at = this.active < 0 ? -1 : this.active;
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: Math.max(0, at - 1),
      PageDown: at + page,
      PageUp: Math.max(0, at - page),
      Home: 0,
      End: this.count - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this.activate(to);
    } else if (e.key === 'Enter' && at >= 0) {
      e.preventDefault();
      this.activate(at);
    }
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  /** Draws the rows in sight and removes the others. */
  private draw(): void {
    const top = this.root.scrollTop;
    const h = this.root.clientHeight || 460;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.count - 1, Math.ceil((top + h) / ROW_HEIGHT) + OVERSCAN);
    for (const [p, e] of this.drawn)
      if (p < first || p > last) {
        e.remove();
        this.drawn.delete(p);
      }
    for (let p = first; p <= last; p++) {
      let e = this.drawn.get(p);
      const view = this.options.row(p);
      if (e === undefined) {
        e = document.createElement('div');
        e.id = `row-${p}`;
        e.setAttribute('role', 'option');
        e.dataset.position = String(p);
        e.style.top = `${p * ROW_HEIGHT}px`;
        const ln = document.createElement('span');
        ln.className = 'ln';
        const tx = document.createElement('span');
        tx.className = 'tx';
        e.append(ln, tx);
        this.drawn.set(p, e);
        this.spacer.append(e);
        if (view.text.length > this.widest) {
          this.widest = view.text.length;
          this.spacer.style.minWidth = `calc(${this.widest + 8}ch + 12px)`;
        }
      }
      (e.firstChild as HTMLElement).textContent = view.line > 0 ? String(view.line) : '';
      (e.lastChild as HTMLElement).textContent = view.text;
      e.className = `row${view.line > 0 ? ' line' : ''} ${view.classes}${p === this.active ? ' active' : ''}`;
      e.dataset.line = String(view.line);
      e.setAttribute('aria-selected', p === this.active ? 'true' : 'false');
      e.setAttribute('aria-setsize', String(this.count));
      e.setAttribute('aria-posinset', String(p + 1));
    }
  }
}
