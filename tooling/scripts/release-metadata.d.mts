/** The placeholder repository URL every package's metadata and README links point at. */
export declare const REPOSITORY: string;
/** Directories (relative to the root, `/`-separated) of the workspace packages that are published. */
export declare function publicPackageDirs(): string[];
/** The README's links made absolute (to the repository's default branch). */
export declare function absoluteLinks(dir: string, markdown: string): string;
/** The README with its install line (and module note) first, naming what its first example imports. */
export declare function withInstallLine(name: string, markdown: string): string;
