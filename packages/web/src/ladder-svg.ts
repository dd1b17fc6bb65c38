/**
 * Draws a ladder (see `ladder.ts`) as SVG, like the "IKE Example" figure of the client's troubleshooting note: the two
 * peers as vertical lines, one arrow per message labelled with its exchange and payload list, retransmissions dashed,
 * failures in red with what failed, marks across both lines for what came up or was given up, and a labelled rule at
 * each phase boundary. Built with DOM calls only (no markup strings: nothing from a capture is parsed as HTML).
 */
import type { LadderStep } from './ladder';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 820;
const LEFT = 190;
const RIGHT = 740;
const TOP = 54;
const ARROW_H = 34;
const NOTE_H = 26;
const PHASE_H = 30;
/** Longest label drawn whole; the full text is in the arrow's title. */
const MAX_LABEL = 66;

const COLORS = {
  sent: '#0a4f8f',
  received: '#6b2f8f',
  fail: '#a3151c',
  ok: '#1d6b31',
  resend: '#8a4b00',
  info: '#4d5560',
  line: '#8a939e',
} as const;

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function clip(s: string): string {
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

export interface LadderDrawing {
  /** Whose log it is (left line) and the peer (right line). */
  readonly left: string;
  readonly right: string;
  readonly title: string;
  readonly steps: readonly LadderStep[];
  /** The line text of an entry (the arrow's tooltip). */
  readonly lineOf: (entry: number) => string;
}

/** The ladder as an `<svg>`; each arrow is a `g.arrow` with `data-entry` (its entry index) for the page to link. */
export function drawLadder(d: LadderDrawing): SVGSVGElement {
  let height = TOP + 16;
  for (const s of d.steps) height += s.type === 'arrow' ? ARROW_H : s.type === 'note' ? NOTE_H : PHASE_H;
  const arrows = d.steps.filter((s) => s.type === 'arrow');
  const resent = arrows.filter((s) => s.message.retransmission).length;
  const failed = arrows.filter((s) => s.message.failure !== undefined).length;
  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: WIDTH,
    height,
    role: 'img',
    class: 'ladder',
  });
  svg.setAttribute(
    'aria-label',
    `${d.title}: ${arrows.length} messages, ${resent} retransmitted, ${failed} carrying a failure`,
  );
  svg.append(el('title', {}, d.title));
  // The peers and their lines.
  svg.append(
    el(
      'text',
      { x: LEFT, y: 18, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 700, fill: '#1b1f24' },
      d.left,
    ),
    el('text', { x: LEFT, y: 34, 'text-anchor': 'middle', 'font-size': 11, fill: COLORS.info }, 'this side (the log)'),
    el(
      'text',
      { x: RIGHT, y: 18, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 700, fill: '#1b1f24' },
      d.right,
    ),
    el('text', { x: RIGHT, y: 34, 'text-anchor': 'middle', 'font-size': 11, fill: COLORS.info }, 'peer'),
    el('line', { x1: LEFT, y1: 42, x2: LEFT, y2: height - 8, stroke: COLORS.line, 'stroke-width': 2 }),
    el('line', { x1: RIGHT, y1: 42, x2: RIGHT, y2: height - 8, stroke: COLORS.line, 'stroke-width': 2 }),
  );
  let y = TOP;
  for (const step of d.steps) {
    if (step.type === 'phase') {
      const g = el('g', { class: 'phase' });
      g.append(
        el('line', { x1: 4, y1: y + 18, x2: WIDTH - 4, y2: y + 18, stroke: COLORS.info, 'stroke-dasharray': '6 4' }),
        el('rect', { x: 4, y: y + 6, width: step.name.length * 7.4 + 12, height: 20, fill: '#ffffff' }),
        el('text', { x: 10, y: y + 21, 'font-size': 12, 'font-weight': 700, fill: COLORS.info }, step.name),
      );
      svg.append(g);
      y += PHASE_H;
      continue;
    }
    if (step.type === 'note') {
      const { tone, text, time } = step.note;
      const color = COLORS[tone];
      const g = el('g', { class: `note ${tone}`, 'data-entry': step.entry });
      const label = clip(text);
      const w = Math.min(RIGHT - LEFT + 80, label.length * 7.2 + 20);
      g.append(
        el('title', {}, d.lineOf(step.entry)),
        el('rect', {
          x: (LEFT + RIGHT) / 2 - w / 2,
          y: y + 3,
          width: w,
          height: 20,
          rx: 4,
          fill: '#ffffff',
          stroke: color,
        }),
        el('text', { x: (LEFT + RIGHT) / 2, y: y + 17, 'text-anchor': 'middle', 'font-size': 12, fill: color }, label),
      );
      if (time !== undefined) g.append(el('text', { x: 6, y: y + 17, 'font-size': 11, fill: COLORS.info }, time));
      svg.append(g);
      y += NOTE_H;
      continue;
    }
    const m = step.message;
    const sent = m.direction === 'sent';
    const color =
      m.failure !== undefined ? COLORS.fail : m.retransmission ? COLORS.resend : sent ? COLORS.sent : COLORS.received;
    const [x1, x2] = sent ? [LEFT, RIGHT] : [RIGHT, LEFT];
    const ay = y + 24;
    const g = el('g', {
      class: `arrow ${m.direction}${m.retransmission ? ' retransmission' : ''}${m.failure !== undefined ? ' failure' : ''}`,
      'data-entry': step.entry,
    });
    const head = sent ? -10 : 10;
    const label = `${m.exchange} ${m.payloads}`;
    g.append(
      el('title', {}, d.lineOf(step.entry)),
      // A wide transparent band makes the arrow easy to click.
      el('rect', { x: LEFT, y: y + 2, width: RIGHT - LEFT, height: ARROW_H - 4, fill: 'transparent' }),
      el('line', {
        x1,
        y1: ay,
        x2: x2 + head,
        y2: ay,
        stroke: color,
        'stroke-width': 2,
        ...(m.retransmission ? { 'stroke-dasharray': '7 5' } : {}),
      }),
      el('path', { d: `M ${x2} ${ay} L ${x2 + head} ${ay - 5} L ${x2 + head} ${ay + 5} Z`, fill: color }),
      el(
        'text',
        { class: 'label', x: (LEFT + RIGHT) / 2, y: ay - 6, 'text-anchor': 'middle', 'font-size': 12, fill: color },
        clip(label),
      ),
    );
    if (m.time !== undefined) g.append(el('text', { x: 6, y: ay + 4, 'font-size': 11, fill: COLORS.info }, m.time));
    if (m.failure !== undefined || m.retransmission)
      g.append(
        el(
          'text',
          {
            x: sent ? RIGHT + 8 : LEFT - 8,
            y: ay + 4,
            'text-anchor': sent ? 'start' : 'end',
            'font-size': 11,
            'font-weight': 700,
            fill: color,
          },
          m.failure !== undefined ? '✕ failed' : '↻ resent',
        ),
      );
    svg.append(g);
    y += ARROW_H;
  }
  return svg;
}
