/**
 * The few icons the window draws, as inline SVG in the text's colour. Never emoji: many
 * Linux desktops have no emoji font, and an emoji then shows as an empty box.
 */
const NS = "http://www.w3.org/2000/svg";

export type IconName = "bell" | "link" | "clock" | "more";

/** Each icon on a 24×24 grid: strokes (paths) and filled dots ([cx, cy, r]). */
const SHAPES: Record<IconName, { paths?: string[]; circles?: [number, number, number][]; dots?: [number, number, number][] }> = {
  bell: { paths: ["M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9", "M13.7 21a2 2 0 0 1-3.4 0"] },
  link: { paths: ["M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7", "M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"] },
  clock: { circles: [[12, 12, 9]], paths: ["M12 7v5l3 2"] },
  more: {
    dots: [
      [5, 12, 1.8],
      [12, 12, 1.8],
      [19, 12, 1.8],
    ],
  },
};

/** An icon element: decorative (aria-hidden); the button or badge around it carries the name. */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  const attrs: Record<string, string> = {
    class: `icon icon-${name}`,
    viewBox: "0 0 24 24",
    width: "1em",
    height: "1em",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
    "data-icon": name,
  };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  const shape = SHAPES[name];
  for (const d of shape.paths ?? []) {
    const p = document.createElementNS(NS, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  for (const [cx, cy, r] of shape.circles ?? []) {
    const c = document.createElementNS(NS, "circle");
    c.setAttribute("cx", String(cx));
    c.setAttribute("cy", String(cy));
    c.setAttribute("r", String(r));
    svg.append(c);
  }
  for (const [cx, cy, r] of shape.dots ?? []) {
    const c = document.createElementNS(NS, "circle");
    c.setAttribute("cx", String(cx));
    c.setAttribute("cy", String(cy));
    c.setAttribute("r", String(r));
    c.setAttribute("fill", "currentColor");
    c.setAttribute("stroke", "none");
    svg.append(c);
  }
  return svg;
}
