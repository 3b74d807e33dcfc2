export declare function redoclyBin(): string;
export declare function bannerFilter(): (line: string) => string[];
export declare function runRedocly(
  args: string[],
  options?: { cwd?: string; onStdout?: (text: string) => void; onStderr?: (text: string) => void },
): Promise<number>;
