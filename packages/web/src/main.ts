/**
 * The page: takes files (dropped, picked or pasted), hands them to the worker, and shows what comes back: the View Log
 * (a keyboard-walkable list), each line's meaning, the diagnosis with its evidence, a ladder per IKE SA, and the
 * decoded tree of a clicked message. Nothing leaves the page: the worker reads the files where they are.
 */
import './style.css';
import { type LadderInput, ladderSteps } from './ladder';
import { drawLadder } from './ladder-svg';
import { LogView, type RowView } from './log-view';
import type { DiagnosisView, Entry, Group, Request, Response, Result } from './protocol';
import { sniff } from './sniff';
import type { TreeNode } from './tree';
import LogWorker from './worker?worker&inline';

// ---- Elements ----

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`#${id} is missing`);
  return e as T;
}

const ui = {
  open: $<HTMLButtonElement>('open'),
  openKeys: $<HTMLButtonElement>('open-keys'),
  paste: $<HTMLButtonElement>('paste'),
  fileInput: $<HTMLInputElement>('file-input'),
  keysInput: $<HTMLInputElement>('keys-input'),
  side: $<HTMLFieldSetElement>('side'),
  group: $<HTMLSelectElement>('group'),
  tz: $<HTMLSelectElement>('tz'),
  statusText: $('status-text'),
  progress: $<HTMLProgressElement>('progress'),
  error: $('error'),
  notices: $('notices'),
  empty: $('empty'),
  workspace: $('workspace'),
  log: $('log'),
  logTitle: $('log-title'),
  detail: $('detail'),
  tree: $('tree'),
  diagnosis: $('diagnosis'),
  ladders: $('ladders'),
  overlay: $('drop-overlay'),
  tooltip: $('tooltip'),
  pasteDialog: $<HTMLDialogElement>('paste-dialog'),
  pasteText: $<HTMLTextAreaElement>('paste-text'),
  pasteRead: $<HTMLButtonElement>('paste-read'),
  pasteCancel: $<HTMLButtonElement>('paste-cancel'),
};

// ---- State ----

type Input =
  | { readonly kind: 'capture'; readonly name: string; readonly file: File }
  | { readonly kind: 'log'; readonly name: string; readonly file?: File; readonly text?: string };

let input: Input | undefined;
let keyFile: File | undefined;
/** The key file came without a capture: it is for the next capture opened (else a new capture drops it). */
let keysPending = false;
let job = 0;
let result: Result | undefined;
/** What came back for the current job. */
const store = {
  text: [] as string[],
  first: [] as number[],
  last: [] as number[],
  line: [] as number[],
  entries: [] as Entry[],
  explanations: [] as string[],
};
/** Rows shown, by position: all of them (undefined), or those of the chosen connection of a log. */
let shown: number[] | undefined;
/** Evidence marks by line number, and the lines of the chosen diagnosis. */
let evidenceTone = new Map<number, 'ok' | 'fail' | 'info'>();
let chosenEvidence = new Set<number>();
/** The frame whose tree was asked for last (answers for others are stale). */
let treeFrame: number | undefined;
let treeTimer: number | undefined;

const worker: Worker = new LogWorker();
worker.addEventListener('message', (e: MessageEvent<Response>) => receive(e.data));
worker.addEventListener('error', (e) => fail(`The page's worker stopped: ${e.message || 'unknown error'}.`));

function send(r: Request): void {
  worker.postMessage(r);
}

// ---- The log list ----

function rowAt(position: number): number {
  return shown === undefined ? position : (shown[position] ?? -1);
}

function rowCount(): number {
  return shown === undefined ? store.text.length : shown.length;
}

function classesOf(row: number): string {
  const classes: string[] = [];
  for (let i = store.first[row] ?? 0; i <= (store.last[row] ?? -1); i++) {
    const e = store.entries[i];
    if (e?.kind === 'problem') classes.push('problem');
    else if (e?.message !== undefined) classes.push(e.message.direction);
  }
  const line = store.line[row] ?? 0;
  const tone = evidenceTone.get(line);
  if (tone !== undefined) classes.push(`evidence-${tone}`);
  if (chosenEvidence.has(line)) classes.push('evidence-selected');
  return classes.join(' ');
}

const view = new LogView(ui.log, {
  row(position): RowView {
    const r = rowAt(position);
    return { text: store.text[r] ?? '', line: store.line[r] ?? 0, classes: classesOf(r) };
  },
  onActivate: (position) => {
    ui.tooltip.hidden = true;
    showDetail(rowAt(position));
  },
  onHover(position, element) {
    if (position === undefined || element === undefined) {
      ui.tooltip.hidden = true;
      return;
    }
    const meanings = meaningsOf(rowAt(position));
    if (meanings.length === 0) {
      ui.tooltip.hidden = true;
      return;
    }
    ui.tooltip.textContent = meanings.join('\n\n');
    ui.tooltip.style.whiteSpace = 'pre-line';
    const box = element.getBoundingClientRect();
    const left = Math.min(Math.max(8, box.left + 80), window.innerWidth - 420);
    ui.tooltip.style.left = `${left}px`;
    ui.tooltip.style.top = `${Math.min(box.bottom + 4, window.innerHeight - 120)}px`;
    ui.tooltip.hidden = false;
  },
});

/** The entries a row shows (more than one when events share a line). */
function entriesOf(row: number): { entry: Entry; index: number }[] {
  const out: { entry: Entry; index: number }[] = [];
  for (let i = store.first[row] ?? 0; i <= (store.last[row] ?? -1); i++) {
    const entry = store.entries[i];
    if (entry !== undefined) out.push({ entry, index: i });
  }
  return out;
}

function meaningsOf(row: number): string[] {
  return entriesOf(row)
    .map(({ entry }) => store.explanations[entry.explanation])
    .filter((m): m is string => m !== undefined && m !== '');
}

/** The row of a line number (rows are in line order), or -1. */
function rowOfLine(line: number): number {
  let lo = 0;
  let hi = store.line.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = store.line[mid] ?? 0;
    // Problem rows (line 0) sit between lines: skip back to the line row before them.
    let m = mid;
    let ml = l;
    while (ml === 0 && m > lo) ml = store.line[--m] ?? 0;
    if (ml === 0 || ml < line) lo = mid + 1;
    else if (ml > line) hi = m - 1;
    else return m;
  }
  return -1;
}

/** The position of a row in the shown list, or -1 when it is filtered out. */
function positionOf(row: number): number {
  if (shown === undefined) return row;
  let lo = 0;
  let hi = shown.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = shown[mid] ?? 0;
    if (v < row) lo = mid + 1;
    else if (v > row) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function goToLine(line: number): void {
  const p = positionOf(rowOfLine(line));
  if (p >= 0) {
    view.activate(p);
    ui.log.focus({ preventScroll: true });
  }
}

function groupLabel(index: number): string | undefined {
  return result?.groups[index]?.label;
}

function showDetail(row: number): void {
  ui.detail.replaceChildren();
  ui.detail.dataset.first = String(store.first[row] ?? -1);
  ui.detail.dataset.last = String(store.last[row] ?? -1);
  const line = store.line[row] ?? 0;
  const text = document.createElement('div');
  text.className = 'line-text';
  text.textContent = store.text[row] ?? '';
  const head = document.createElement('p');
  head.className = 'meta';
  head.textContent = line > 0 ? `Line ${line}` : 'Not a line of the log: a datagram that did not decode';
  ui.detail.append(head, text);
  let frame: number | undefined;
  for (const { entry } of entriesOf(row)) {
    const meaning = document.createElement('p');
    meaning.className = 'meaning';
    meaning.textContent = store.explanations[entry.explanation] ?? 'Nothing to explain: a blank line.';
    const meta = document.createElement('p');
    meta.className = 'meta';
    const parts = [entry.kind];
    if (entry.frame !== undefined) parts.push(`frame #${entry.frame}`);
    const g = groupLabel(entry.group);
    if (g !== undefined) parts.push(g);
    meta.textContent = parts.join(' · ');
    ui.detail.append(meaning, meta);
    if (entry.frame !== undefined && (entry.kind === 'ike-message' || entry.kind === 'problem')) frame = entry.frame;
  }
  markArrow(store.first[row] ?? -1, store.last[row] ?? -1);
  if (input?.kind !== 'capture') return;
  window.clearTimeout(treeTimer);
  if (frame === undefined) {
    treeFrame = undefined;
    showTreeMessage('This line has no message of its own: pick a SENDING or RECEIVED line.');
    return;
  }
  const f = frame;
  if (treeFrame === f) return;
  treeFrame = f;
  showTreeMessage(`Decoding frame #${f}…`);
  // Keys held down walk many lines: ask for the tree of the one the walk stops on.
  treeTimer = window.setTimeout(() => send({ type: 'tree', job, frame: f }), 120);
}

// ---- The message tree ----

function showTreeMessage(text: string): void {
  const p = document.createElement('p');
  p.className = 'muted';
  p.textContent = text;
  ui.tree.replaceChildren(p);
}

function treeItem(node: TreeNode, depth: number): HTMLLIElement {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = node.label;
  const parts: Node[] = [label];
  if (node.value !== undefined) {
    const value = document.createElement('span');
    value.className = `value${node.label === 'hex' ? ' hex' : ''}`;
    value.textContent = `: ${node.value}`;
    parts.push(value);
  }
  if (node.tone !== undefined) li.classList.add(node.tone === 'muted' ? 'hex' : node.tone);
  if (node.children !== undefined && node.children.length > 0) {
    const details = document.createElement('details');
    details.open = depth < 3 && node.label !== 'hex' && !node.children.every((c) => c.label === 'hex');
    const summary = document.createElement('summary');
    summary.append(...parts);
    const ul = document.createElement('ul');
    for (const c of node.children) ul.append(treeItem(c, depth + 1));
    details.append(summary, ul);
    li.append(details);
  } else {
    li.classList.add('leaf');
    li.append(...parts);
  }
  return li;
}

function showTree(tree: TreeNode): void {
  const ul = document.createElement('ul');
  ul.append(treeItem(tree, 0));
  ui.tree.replaceChildren(ul);
}

// ---- Diagnosis ----

const OK_OUTCOMES = new Set(['established']);
const INFO_OUTCOMES = new Set(['deleted']);

function toneOf(d: DiagnosisView): 'ok' | 'fail' | 'info' {
  return OK_OUTCOMES.has(d.outcome) ? 'ok' : INFO_OUTCOMES.has(d.outcome) ? 'info' : 'fail';
}

/** The diagnoses the page shows: all, or those of the chosen conversation of a log. */
function shownDiagnoses(r: Result): { d: DiagnosisView; index: number }[] {
  const chosen = ui.group.value;
  return r.diagnoses
    .map((d, index) => ({ d, index }))
    .filter(({ d }) => r.input === 'capture' || chosen === '' || String(d.group) === chosen);
}

/** The text of an evidence line: the log's (a log), or the rows the page holds (a capture). */
function evidenceText(e: { line: number; lines: number; text?: string }): string {
  if (e.text !== undefined) return e.text;
  const r = rowOfLine(e.line);
  if (r < 0) return '';
  const lines: string[] = [];
  for (let i = r; i < store.text.length && lines.length < e.lines; i++)
    if ((store.line[i] ?? 0) > 0) lines.push(store.text[i] ?? '');
  return lines.join('\n').trim();
}

function renderDiagnosis(r: Result): void {
  ui.diagnosis.replaceChildren();
  evidenceTone = new Map();
  const list = shownDiagnoses(r);
  if (r.verdict !== undefined) {
    const p = document.createElement('p');
    p.className = 'verdict';
    p.textContent = r.verdict;
    ui.diagnosis.append(p);
  }
  if (list.length === 0 && r.verdict === undefined) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No phase attempt to diagnose.';
    ui.diagnosis.append(p);
  }
  const sections = new Map<string, HTMLElement>();
  for (const { d, index } of list) {
    let section = sections.get(d.who);
    if (section === undefined) {
      section = document.createElement('section');
      section.className = 'conversation';
      section.dataset.who = d.who;
      const h = document.createElement('h3');
      h.textContent = d.who;
      section.append(h);
      sections.set(d.who, section);
      ui.diagnosis.append(section);
    }
    const tone = toneOf(d);
    const card = document.createElement('article');
    card.className = `diag ${tone}`;
    card.dataset.index = String(index);
    card.dataset.who = d.who;
    const h = document.createElement('h4');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'head';
    button.setAttribute('aria-label', `${d.who} phase ${d.phase}: ${d.outcome}. Show its evidence in the log.`);
    const phase = document.createElement('span');
    phase.textContent = `phase ${d.phase}: `;
    const outcome = document.createElement('span');
    outcome.className = 'outcome';
    outcome.textContent = `${d.outcome}${d.implied ? ' (implied)' : ''}`;
    button.append(phase, outcome);
    button.addEventListener('click', () => chooseDiagnosis(index));
    h.append(button);
    const summary = document.createElement('p');
    summary.className = 'summary';
    summary.textContent = d.summary;
    card.append(h, summary);
    if (d.reason !== undefined) {
      const reason = document.createElement('p');
      reason.className = 'reason';
      reason.textContent = `reason: ${d.reason}`;
      card.append(reason);
    }
    const ul = document.createElement('ul');
    ul.className = 'evidence';
    ul.setAttribute('aria-label', 'Evidence');
    for (const e of d.evidence) {
      for (let l = e.line; l < e.line + e.lines; l++)
        if (!evidenceTone.has(l) || tone === 'fail') evidenceTone.set(l, tone);
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'evidence-line';
      b.dataset.line = String(e.line);
      b.textContent = `line ${e.line}: ${evidenceText(e)}`;
      b.addEventListener('click', () => goToLine(e.line));
      li.append(b);
      ul.append(li);
    }
    card.append(ul);
    if (d.omittedEvidence !== undefined) {
      const p = document.createElement('p');
      p.className = 'omitted';
      p.textContent = `(${d.omittedEvidence} more lines of evidence not shown)`;
      card.append(p);
    }
    const next = document.createElement('p');
    next.className = 'next';
    next.textContent = `next step: ${d.nextStep}`;
    card.append(next);
    section.append(card);
  }
  if (r.omitted > 0) {
    const p = document.createElement('p');
    p.className = 'omitted-attempts';
    p.textContent = `${r.omitted} later phase attempts not shown: only the first ones are kept`;
    ui.diagnosis.append(p);
  }
  view.refresh();
}

function chooseDiagnosis(index: number): void {
  const d = result?.diagnoses[index];
  if (d === undefined) return;
  chosenEvidence = new Set(d.evidence.flatMap((e) => Array.from({ length: e.lines }, (_, i) => e.line + i)));
  for (const card of ui.diagnosis.querySelectorAll<HTMLElement>('.diag'))
    card.classList.toggle('selected', card.dataset.index === String(index));
  view.refresh();
  const first = d.evidence[0];
  if (first !== undefined) goToLine(first.line);
}

// ---- Ladders ----

/** Most conversations drawn at once (the conversation filter shows any one of the others). */
const MAX_LADDERS = 24;
/** Most steps of one ladder drawn. */
const MAX_STEPS = 1_000;

function renderLadders(r: Result): void {
  ui.ladders.replaceChildren();
  const byGroup = new Map<number, LadderInput[]>();
  store.entries.forEach((e, index) => {
    if (e.message === undefined && e.note === undefined) return;
    let list = byGroup.get(e.group);
    if (list === undefined) {
      list = [];
      byGroup.set(e.group, list);
    }
    list.push({
      index,
      ...(e.message === undefined ? {} : { message: e.message }),
      ...(e.note === undefined ? {} : { note: e.note }),
    });
  });
  const chosen = ui.group.value;
  let groups = [...byGroup.keys()].sort((a, b) => a - b);
  if (chosen !== '') groups = groups.filter((g) => String(g) === chosen);
  const local = currentLocal();
  let drawn = 0;
  for (const g of groups) {
    const entries = byGroup.get(g) ?? [];
    if (!entries.some((e) => e.message !== undefined)) continue;
    if (drawn === MAX_LADDERS) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = `${groups.length - drawn} more conversations: pick one in the Conversation list to draw it.`;
      ui.ladders.append(p);
      break;
    }
    drawn++;
    const group: Group | undefined = r.groups[g];
    const steps = ladderSteps(entries);
    const cut = steps.length > MAX_STEPS ? steps.length - MAX_STEPS : 0;
    const [left, right] =
      r.input === 'capture' && group?.initiator !== undefined && group.responder !== undefined
        ? local === group.responder
          ? [group.responder, group.initiator]
          : [group.initiator, group.responder]
        : ['this side', group?.connection ?? 'peer'];
    const title = group?.label ?? '(unnamed connection)';
    const figure = document.createElement('figure');
    figure.dataset.group = String(g);
    const caption = document.createElement('figcaption');
    const count = steps.filter((s) => s.type === 'arrow').length;
    caption.textContent = `${title} · ${count} message${count === 1 ? '' : 's'}`;
    const svg = drawLadder({
      left,
      right,
      title,
      steps: cut > 0 ? steps.slice(0, MAX_STEPS) : steps,
      lineOf: (entry) => {
        const e = store.entries[entry];
        return e === undefined ? '' : evidenceText({ line: e.line, lines: e.endLine - e.line + 1 });
      },
    });
    svg.addEventListener('click', (ev) => {
      const g = (ev.target as Element).closest('[data-entry]');
      const e = g === null ? undefined : store.entries[Number(g.getAttribute('data-entry'))];
      if (e !== undefined) goToLine(e.line);
    });
    figure.append(caption, svg);
    if (cut > 0) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = `The first ${MAX_STEPS} steps are drawn; ${cut} more are in the log.`;
      figure.append(p);
    }
    ui.ladders.append(figure);
  }
  if (drawn === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No SENDING or RECEIVED line to draw.';
    ui.ladders.append(p);
  }
}

function markArrow(first: number, last: number): void {
  for (const a of ui.ladders.querySelectorAll('.arrow.active')) a.classList.remove('active');
  for (let i = first; i <= last && i >= 0; i++)
    for (const a of ui.ladders.querySelectorAll(`.arrow[data-entry="${i}"]`)) a.classList.add('active');
}

// ---- Options ----

const TZ_OFFSETS = [
  -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0, 60, 120, 180, 210, 240, 270,
  300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765, 780, 840,
];

function offsetName(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function fillTimeZones(): void {
  const here = -new Date().getTimezoneOffset();
  const utc = new Option('UTC (as oaklog prints by default)', '0');
  const local = new Option(`This computer's time now (${offsetName(here)})`, String(here));
  ui.tz.append(utc, local);
  for (const m of TZ_OFFSETS) if (m !== 0) ui.tz.append(new Option(offsetName(m), String(m)));
  ui.tz.value = '0';
}

/** The responder address the "responder" side stands for: the chosen conversation's, or the one all share. */
function responderAddress(r: Result | undefined): string | undefined {
  if (r === undefined || r.input !== 'capture') return undefined;
  const chosen = ui.group.value;
  if (chosen !== '') return r.groups[Number(chosen)]?.responder;
  const all = new Set(r.groups.map((g) => g.responder));
  return all.size === 1 ? [...all][0] : undefined;
}

function side(): 'initiator' | 'responder' {
  return (ui.side.querySelector<HTMLInputElement>('input:checked')?.value as 'initiator' | 'responder') ?? 'initiator';
}

/** The `local` option of the current view, if any. */
function currentLocal(): string | undefined {
  return side() === 'responder' ? responderAddress(result) : undefined;
}

function updateOptions(r: Result): void {
  const chosen = ui.group.value;
  ui.group.replaceChildren(new Option(r.input === 'capture' ? 'All conversations' : 'All connections', ''));
  for (const g of r.groups) ui.group.append(new Option(g.label, String(g.index)));
  ui.group.value = r.groups.some((g) => String(g.index) === chosen) ? chosen : '';
  ui.group.disabled = r.groups.length < 2 && ui.group.value === '';
  ui.tz.disabled = r.input !== 'capture';
  const responder = responderAddress(r);
  if (responder === undefined) {
    // No one responder to stand for (a log, or conversations with different responders): the initiator's side.
    const initiator = ui.side.querySelector<HTMLInputElement>('input[value="initiator"]');
    if (initiator !== null) initiator.checked = true;
  }
  ui.side.disabled = r.input !== 'capture' || responder === undefined;
  ui.side.title =
    r.input !== 'capture'
      ? 'A log is written by one side'
      : responder === undefined
        ? 'The conversations have different responders: pick one conversation first'
        : `The responder's side: the log as ${responder} would have written it`;
}

// ---- Jobs ----

function reset(): void {
  store.text = [];
  store.first = [];
  store.last = [];
  store.line = [];
  store.entries = [];
  store.explanations = [];
  shown = undefined;
  evidenceTone = new Map();
  chosenEvidence = new Set();
  treeFrame = undefined;
  view.setCount(0, true);
  ui.diagnosis.replaceChildren();
  ui.ladders.replaceChildren();
  ui.notices.replaceChildren();
  ui.error.hidden = true;
  ui.detail.replaceChildren();
  const p = document.createElement('p');
  p.className = 'muted';
  p.textContent = 'Click a line, or move to it with the arrow keys, to see what it means.';
  ui.detail.append(p);
  showTreeMessage(
    input?.kind === 'capture'
      ? 'A SENDING or RECEIVED line opens its message here.'
      : 'A log carries no packets: open the capture to see a message decoded.',
  );
}

function begin(): void {
  job++;
  result = undefined;
  reset();
  document.body.dataset.state = 'working';
  document.body.dataset.job = String(job);
  ui.empty.hidden = true;
  ui.workspace.hidden = false;
  ui.progress.hidden = false;
  ui.progress.value = 0;
  ui.statusText.textContent = `Reading ${input?.name ?? ''}…`;
}

function runCapture(): void {
  if (input?.kind !== 'capture') return;
  const local = currentLocal();
  const cookie = ui.group.value === '' ? undefined : result?.groups[Number(ui.group.value)]?.cookie;
  const utcOffsetMinutes = Number(ui.tz.value) || 0;
  begin();
  ui.logTitle.textContent = `View Log of ${input.name}`;
  send({
    type: 'capture',
    job,
    name: input.name,
    file: input.file,
    ...(keyFile === undefined ? {} : { keys: { name: keyFile.name, file: keyFile } }),
    view: {
      utcOffsetMinutes,
      ...(local === undefined ? {} : { local }),
      ...(cookie === undefined ? {} : { cookie }),
    },
  });
}

function runLog(): void {
  if (input?.kind !== 'log') return;
  begin();
  ui.logTitle.textContent = `View Log: ${input.name}`;
  send({
    type: 'log',
    job,
    name: input.name,
    ...(input.file === undefined ? {} : { file: input.file }),
    ...(input.text === undefined ? {} : { text: input.text }),
  });
}

function fail(message: string): void {
  document.body.dataset.state = 'failed';
  ui.progress.hidden = true;
  ui.error.textContent = message;
  ui.error.hidden = false;
  ui.statusText.textContent = 'Could not read the input.';
}

function applyShown(): void {
  if (result?.input !== 'log' || ui.group.value === '') shown = undefined;
  else {
    const g = Number(ui.group.value);
    shown = [];
    for (let r = 0; r < store.text.length; r++) {
      const e = store.entries[store.first[r] ?? -1];
      if (e?.group === g) shown.push(r);
    }
  }
  view.setCount(rowCount(), true);
}

function receive(m: Response): void {
  if (m.type === 'tree') {
    if (m.job !== job || m.frame !== treeFrame) return;
    if (m.tree !== undefined) showTree(m.tree);
    else showTreeMessage(m.message ?? 'No tree for this message.');
    return;
  }
  if (m.job !== job) return;
  switch (m.type) {
    case 'progress':
      ui.progress.value = m.total > 0 ? m.done / m.total : 0;
      ui.progress.setAttribute('aria-valuetext', `${m.stage}: ${Math.round((100 * m.done) / Math.max(1, m.total))}%`);
      ui.statusText.textContent = `${m.stage}: ${Math.round((100 * m.done) / Math.max(1, m.total))}%`;
      document.body.dataset.progress = String(m.done);
      break;
    case 'entries': {
      store.entries.push(...m.entries);
      store.explanations.push(...m.explanations);
      const { rows } = m;
      for (let i = 0; i < rows.text.length; i++) {
        store.text.push(rows.text[i] ?? '');
        store.first.push(rows.first[i] ?? 0);
        store.last.push(rows.last[i] ?? 0);
        store.line.push(rows.line[i] ?? 0);
      }
      if (shown === undefined) view.setCount(store.text.length);
      break;
    }
    case 'done': {
      result = m.result;
      ui.progress.hidden = true;
      updateOptions(m.result);
      if (m.result.input === 'log' && ui.group.value !== '') applyShown();
      else view.setCount(store.text.length);
      renderNotices(m.result);
      renderDiagnosis(m.result);
      renderLadders(m.result);
      const r = m.result;
      const what =
        r.input === 'capture'
          ? `${r.lines} lines, ${r.groups.length} conversation${r.groups.length === 1 ? '' : 's'}${r.keys !== undefined ? `, decrypted with ${r.keys}` : ', no key file'}`
          : `${r.lines} lines${r.dialect !== undefined ? `, ${r.dialect} dialect` : ''}${r.encoding !== undefined ? `, ${r.encoding}` : ''}`;
      ui.statusText.textContent = `${input?.name ?? ''}: ${what}.`;
      document.body.dataset.state = 'done';
      break;
    }
    case 'failed':
      fail(m.message);
      if (m.keys === true) {
        // Not used again: the capture reads without keys once opened again, or with another key file.
        keyFile = undefined;
        ui.statusText.textContent =
          'The key file was not used: pick another with Key file…, or open the capture again.';
      }
      break;
  }
}

function renderNotices(r: Result): void {
  ui.notices.replaceChildren();
  // A file that reads but tells nothing about IKE (prose, a CSV, the wrong file) says so at the top, in one sentence.
  const notices =
    r.verdict !== undefined && r.diagnoses.length === 0
      ? [{ level: 'warning', text: r.verdict }, ...r.notices]
      : r.notices;
  for (const n of notices) {
    const li = document.createElement('li');
    li.className = n.level;
    li.textContent = n.text;
    ui.notices.append(li);
  }
}

// ---- Files in ----

async function kindOf(file: File): Promise<'capture' | 'keys' | 'log'> {
  return sniff(new Uint8Array(await file.slice(0, 4096).arrayBuffer()));
}

/** Opens what was dropped or picked: a capture (with a key file, if one came along), a key file alone, or a log. */
async function openFiles(files: readonly File[]): Promise<void> {
  const kinds = await Promise.all(files.map(async (f) => ({ file: f, kind: await kindOf(f) })));
  const capture = kinds.find((k) => k.kind === 'capture');
  const keys = kinds.find((k) => k.kind === 'keys');
  const log = kinds.find((k) => k.kind === 'log');
  if (keys !== undefined) {
    keyFile = keys.file;
    keysPending = capture === undefined && input?.kind !== 'capture';
  } else if (capture !== undefined) {
    // Another capture without a key file: the last one's keys are not for it, unless they came on their own since.
    if (!keysPending) keyFile = undefined;
    keysPending = false;
  }
  if (capture !== undefined) {
    input = { kind: 'capture', name: capture.file.name, file: capture.file };
    ui.group.value = '';
    runCapture();
  } else if (log !== undefined) {
    input = { kind: 'log', name: log.file.name, file: log.file };
    ui.group.value = '';
    runLog();
  } else if (keys !== undefined) {
    if (input?.kind === 'capture') runCapture();
    else {
      ui.error.hidden = true;
      ui.statusText.textContent = `Key file ${keys.file.name} kept: open a capture to decrypt it.`;
    }
  }
}

function openText(text: string, name = 'pasted log'): void {
  input = { kind: 'log', name, text };
  ui.group.value = '';
  runLog();
}

ui.open.addEventListener('click', () => ui.fileInput.click());
ui.openKeys.addEventListener('click', () => ui.keysInput.click());
ui.fileInput.addEventListener('change', () => {
  const files = [...(ui.fileInput.files ?? [])];
  ui.fileInput.value = '';
  if (files.length > 0) void openFiles(files);
});
ui.keysInput.addEventListener('change', () => {
  const file = ui.keysInput.files?.[0];
  ui.keysInput.value = '';
  if (file === undefined) return;
  keyFile = file;
  keysPending = input?.kind !== 'capture';
  if (input?.kind === 'capture') runCapture();
  else ui.statusText.textContent = `Key file ${file.name} kept: open a capture to decrypt it.`;
});
ui.paste.addEventListener('click', () => {
  ui.pasteText.value = '';
  ui.pasteDialog.showModal();
  ui.pasteText.focus();
});
ui.pasteRead.addEventListener('click', () => {
  const text = ui.pasteText.value;
  ui.pasteDialog.close();
  if (text.trim() !== '') openText(text);
});
ui.pasteCancel.addEventListener('click', () => ui.pasteDialog.close());
document.addEventListener('paste', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  if (target?.closest('input, textarea, select, dialog')) return;
  const text = e.clipboardData?.getData('text/plain') ?? '';
  if (text.trim() === '') return;
  e.preventDefault();
  openText(text);
});

let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  ui.overlay.hidden = false;
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.overlay.hidden = true;
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  ui.overlay.hidden = true;
  const files = [...(e.dataTransfer?.files ?? [])];
  if (files.length > 0) void openFiles(files);
  else {
    const text = e.dataTransfer?.getData('text/plain') ?? '';
    if (text.trim() !== '') openText(text, 'dropped text');
  }
});

ui.group.addEventListener('change', () => {
  if (result?.input === 'capture') {
    // A responder's side depends on the conversation: keep it only where one responder is known.
    runCapture();
  } else if (result !== undefined) {
    applyShown();
    renderDiagnosis(result);
    renderLadders(result);
  }
});
ui.tz.addEventListener('change', runCapture);
ui.side.addEventListener('change', runCapture);

fillTimeZones();
