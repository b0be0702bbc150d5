/** A validation issue as zod reports it (the contracts' schemas), reduced to what a form needs. */
type Issue = { path: readonly PropertyKey[] };

/**
 * The form's fields that a contract schema refused, for antd's `form.setFields`. Nested paths
 * (`credentials.appKey`) name the field by their last part: the forms are flat. Issues about
 * anything else are left to the server's answer.
 */
export function invalidFields<Field extends string>(issues: readonly Issue[], fields: readonly Field[]): Field[] {
  const found = new Set<Field>();
  for (const issue of issues) {
    for (const part of [...issue.path].reverse()) {
      const field = fields.find((candidate) => candidate === part);
      if (field) {
        found.add(field);
        break;
      }
    }
  }
  return [...found];
}
