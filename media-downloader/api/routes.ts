import type { FunctionName } from "../functions/catalog";

export interface Route {
  readonly path: `/${string}`;
  readonly method: "GET" | "POST" | "DELETE";
  readonly handler: FunctionName;
  /** CUSTOM: the request authorizer checks the session; NONE: the API key alone. */
  readonly authorization: "CUSTOM" | "NONE";
}

/** Every route of the REST API. All of them require an API key (the usage plan's). */
export const ROUTES: readonly Route[] = [
  { path: "/files", method: "GET", handler: "ListFiles", authorization: "CUSTOM" },
  { path: "/device/event", method: "POST", handler: "DeviceEvent", authorization: "NONE" },
  { path: "/device/register", method: "POST", handler: "RegisterDevice", authorization: "CUSTOM" },
  { path: "/user/login", method: "POST", handler: "LoginUser", authorization: "NONE" },
  { path: "/user/logout", method: "POST", handler: "LogoutUser", authorization: "CUSTOM" },
  { path: "/user/register", method: "POST", handler: "RegisterUser", authorization: "NONE" },
  { path: "/user/refresh", method: "POST", handler: "RefreshToken", authorization: "CUSTOM" },
  { path: "/user", method: "DELETE", handler: "UserDelete", authorization: "CUSTOM" },
  { path: "/user/subscribe", method: "POST", handler: "UserSubscribe", authorization: "CUSTOM" },
  { path: "/feedly", method: "POST", handler: "WebhookFeedly", authorization: "CUSTOM" },
];

/** Every path segment prefix the routes need as API Gateway resources, parents first. */
export function resourcePaths(routes: readonly Route[]): string[] {
  const paths = new Set<string>();
  for (const route of routes) {
    const segments = route.path.split("/").filter(Boolean);
    segments.forEach((_, i) => paths.add(`/${segments.slice(0, i + 1).join("/")}`));
  }
  return [...paths].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}
