import pkg from '../package.json' with { type: 'json' };

/** The version of the nara binary, from its package.json. */
export const VERSION: string = pkg.version;
