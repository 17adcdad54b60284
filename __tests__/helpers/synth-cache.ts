/**
 * The per-run synth cache: jest's global setup synthesizes every stack once into a temporary directory
 * named by this variable (one JSON file per stack), and the test files read it instead of each
 * synthesizing the stacks again in their own module registry. Global teardown removes the directory.
 */
export const SYNTH_DIR_ENV = "MEDIA_DOWNLOADER_TEST_SYNTH_DIR";

/** What the global setup writes per stack: the resolved JSON and the snapshot form, or why synth failed. */
export type CachedStack =
  | { readonly json: unknown; readonly snapshot: unknown }
  | { readonly error: string; readonly stack?: string };
