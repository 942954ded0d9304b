import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Listed by hand so the same array works from ts-jest and from the compiled dist/ (no glob over file names). */
export const MIGRATIONS = [InitialSchema1764000000000];
