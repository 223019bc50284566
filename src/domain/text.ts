// The two rewrites every text field gets on input, and nothing else: C0 control characters other than
// tab, LF and CR are removed (PostgreSQL cannot store NUL, and no calendar format can carry them), and
// lone UTF-16 surrogates become U+FFFD. HTML and everything else is stored exactly as sent.

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const FORBIDDEN_CONTROLS = new RegExp(FORBIDDEN_CONTROL.source, 'g');

export function cleanText(value: string): string {
  // Test first: almost every string is clean, and then nothing is copied.
  const withoutControls = FORBIDDEN_CONTROL.test(value) ? value.replace(FORBIDDEN_CONTROLS, '') : value;
  return withoutControls.isWellFormed() ? withoutControls : withoutControls.toWellFormed();
}
