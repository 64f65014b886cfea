// An input the engine cannot read is shown as the command line shows it: `line:column: what went
// wrong`, then the input line with the place marked (and the caret line under it).
import type { Failure } from "./protocol.js";

/** A field the error may point into: its label, current text, and the command-line argument it stands for. */
export interface Field {
  readonly label: string;
  readonly text: string;
  readonly element: HTMLElement;
  readonly argument?: string;
}

export function clearError(alert: HTMLElement, fields: readonly Field[]): void {
  alert.hidden = true;
  alert.replaceChildren();
  for (const f of fields) f.element.removeAttribute("aria-invalid");
}

export function showError(alert: HTMLElement, failure: Failure, fields: readonly Field[]): void {
  clearError(alert, fields);
  const [first, line, caret] = failure.message.split("\n");
  const field = failure.argument !== undefined ? fields.find((f) => f.argument === failure.argument) : fields.find((f) => f.text === failure.source);
  field?.element.setAttribute("aria-invalid", "true");
  const message = document.createElement("p");
  message.textContent = field ? `${field.label}${failure.source === undefined ? ":" : ","} ${first}` : first!;
  alert.append(message);
  if (line !== undefined && caret !== undefined) {
    // MatcalcError.format() indents both lines by two spaces and counts columns in code points
    const chars = [...line.slice(2)];
    const start = caret.indexOf("^") - 2;
    const width = caret.length - caret.indexOf("^");
    const mark = document.createElement("mark");
    mark.textContent = chars.slice(start, start + width).join("");
    const shown = document.createElement("pre");
    shown.append(chars.slice(0, start).join(""), mark, chars.slice(start + width).join("") + "\n" + caret.slice(2));
    alert.append(shown);
  }
  alert.hidden = false;
}
