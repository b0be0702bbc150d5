/** "199.9" yuan → 19990 fen, without floating-point rounding; 0 for anything else. */
export function yuanToCents(yuan: string | undefined): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan?.trim() ?? "");
  if (!m) return 0;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 19990 fen → "199.90", as the platforms write amounts. */
export function centsToYuan(cents: number): string {
  return (cents / 100).toFixed(2);
}
