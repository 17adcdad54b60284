import { dirname, isAbsolute, relative } from "node:path";

/** A failed filesystem call as node reports it (`fs` errors carry these fields). */
interface FilesystemError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path: string;
  readonly dest?: string;
}

/**
 * What each error code means to someone running a command, and what to do about it. Codes from libuv's
 * error list (node's `fs` errors; errno(3) for their meaning). EEXIST from a recursive mkdir means a file
 * stands where a folder is needed.
 */
const MEANINGS: Readonly<Record<string, { readonly what: string; readonly todo: string }>> = {
  EACCES: { what: "permission denied", todo: "make it writable (or readable) for you, or use another path" },
  EPERM: { what: "operation not permitted", todo: "make it writable for you, or use another path" },
  EROFS: { what: "read-only file system", todo: "use a path on a writable file system" },
  ENOSPC: { what: "no space left on the device", todo: "free some space and run again" },
  EDQUOT: { what: "disk quota exceeded", todo: "free some space and run again" },
  ENOTDIR: {
    what: "a part of this path is a file, not a folder",
    todo: "move that file away or use another path",
  },
  EEXIST: { what: "a file is in the way", todo: "move that file away or use another path" },
  EISDIR: { what: "is a folder, not a file", todo: "give the path of a file" },
  ENOENT: { what: "no such file or folder", todo: "check the path" },
  EMFILE: { what: "too many open files", todo: "close other programs or raise the limit (ulimit -n)" },
  ENFILE: { what: "too many open files on the system", todo: "close other programs and run again" },
  EBUSY: { what: "in use by another program", todo: "close it and run again" },
};

function isFilesystemError(error: unknown): error is FilesystemError {
  const e = error as Partial<FilesystemError> | undefined;
  return (
    error instanceof Error &&
    typeof e?.code === "string" &&
    typeof e.syscall === "string" &&
    typeof e.path === "string" &&
    Object.hasOwn(MEANINGS, e.code)
  );
}

/** A path as the user typed it: relative to the working directory when it is inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * One line for a filesystem failure (a read-only or full disk, a file where a folder is needed): the
 * path, what went wrong (with the system call and code, for a search), what to do. Undefined for any
 * other error.
 */
export function describeFilesystemError(error: unknown): string | undefined {
  if (!isFilesystemError(error)) return undefined;
  const { what, todo } = MEANINGS[error.code];
  // mkdtemp reports its template (`<prefix>XXXXXX`): the folder it could not create a folder in is the news.
  const path = error.syscall === "mkdtemp" ? dirname(error.path) : error.path;
  const target = error.dest ? `${shown(path)} -> ${shown(error.dest)}` : shown(path);
  return `${target}: ${what} (${error.syscall}, ${error.code}); ${todo}`;
}
