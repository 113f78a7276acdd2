/** The oldest Node.js Floatline runs on (package.json "engines"). */
export const MIN_NODE: string;
/** Whether version `v` ("22.15.0", "v20.20.2") is at least `min` (default MIN_NODE). */
export function nodeAtLeast(v: string, min?: string): boolean;
/** What an old Node is told: the version needed, and how to get it. */
export function oldNodeMessage(v: string): string;
