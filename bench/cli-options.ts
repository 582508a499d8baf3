// `--name=value` and bare `--name` flags of a benchmark's command line.
export function option(name: string, argv: string[] = process.argv): string | undefined {
  const arg = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'true';
}
