/**
 * Under GitHub Actions, `::add-mask::<value>` makes the runner replace the value with `***` in every
 * later line of the log. The integration tests read the API key from the stack's outputs: masked
 * before anything else runs, a check's message or a stack trace cannot print it.
 */
export function maskInGitHubActions(
  value: string,
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
): boolean {
  if (env.GITHUB_ACTIONS !== "true" || value === "") return false;
  // A multi-line value is masked line by line (the runner masks a whole workflow-command value).
  for (const line of value.split(/\r?\n/)) if (line) write(`::add-mask::${line}\n`);
  return true;
}
