// The shape every CLI command module exports.
export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
