// ARIA tabs: click, or arrow keys / Home / End on a focused tab (the WAI-ARIA tabs pattern with
// automatic activation).

export function tabs(list: HTMLElement, onSelect: (tab: HTMLElement) => void = () => {}): (id: string) => void {
  const all = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
  const select = (tab: HTMLElement, focus = false) => {
    for (const t of all) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")!)!.hidden = !on;
    }
    if (focus) tab.focus();
    onSelect(tab);
  };
  for (const [i, tab] of all.entries()) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      select(all[(to + all.length) % all.length]!, true);
    });
  }
  return (id) => select(all.find((t) => t.id === id)!);
}
