/** A DOM element with attributes and children: the content script builds its controls in plain DOM to stay small. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** Show one panel of the control: the others (connect, sync) sit in the same place, so they close. */
export function showOnly(wrap: HTMLElement, panel: HTMLElement): void {
  for (const other of wrap.querySelectorAll<HTMLElement>('.panel')) if (other !== panel) other.hidden = true;
  for (const opener of wrap.querySelectorAll<HTMLElement>('[aria-expanded=true]')) opener.setAttribute('aria-expanded', 'false');
  panel.hidden = false;
}

/** A labelled form control of the panel: the label names it for screen readers and the tests alike. */
export function labelled(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', {}, label), control);
}
