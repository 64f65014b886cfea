// An input the engine cannot read is shown as the command line shows it: `line:column: what went
// wrong`, then the input line with the place marked (and the caret line under it).
import { MatcalcError } from "../../src/index.js";

/** A field the error may point into: its label and current text. */
export interface Field {
  readonly label: string;
  readonly text: string;
  readonly element: HTMLElement;
}

export function clearError(alert: HTMLElement, fields: readonly Field[]): void {
  alert.hidden = true;
  alert.replaceChildren();
  for (const f of fields) f.element.removeAttribute("aria-invalid");
}

export function showError(alert: HTMLElement, err: unknown, fields: readonly Field[]): void {
  clearError(alert, fields);
  const [first, line, caret] = messageOf(err).split("\n");
  const field = err instanceof MatcalcError && err.source !== undefined ? fields.find((f) => f.text === err.source) : undefined;
  field?.element.setAttribute("aria-invalid", "true");
  const message = document.createElement("p");
  message.textContent = field ? `${field.label}, ${first}` : first!;
  alert.append(message);
  if (line !== undefined && caret !== undefined) {
    const shown = document.createElement("pre");
    const chars = [...line.slice(2)];
    const start = caret.indexOf("^") - 2;
    const width = caret.length - caret.indexOf("^");
    const mark = document.createElement("mark");
    mark.textContent = chars.slice(start, start + width).join("");
    shown.append(chars.slice(0, start).join(""), mark, chars.slice(start + width).join("") + "\n" + caret.slice(2));
    alert.append(shown);
  }
  alert.hidden = false;
}

/** The command line's wording (src/cli.ts) for each kind of failure. */
function messageOf(err: unknown): string {
  if (err instanceof MatcalcError) return err.format();
  if (err instanceof RangeError && /call stack/i.test(err.message)) return "1:1: not supported: the expression is too deeply nested";
  return `1:1: internal error: ${err instanceof Error ? err.message : String(err)} (please report this input)`;
}
