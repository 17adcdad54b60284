import type { AdoptionTable } from "../adoption-table";
import { PRODUCTION_ADOPTION } from "./production";
import { STAGING_ADOPTION } from "./staging";

/**
 * Adoption tables by environment name (config `environment`). An environment without one starts from
 * an empty state; a new environment needs none.
 */
export const ADOPTION_TABLES: Readonly<Record<string, AdoptionTable>> = {
  staging: STAGING_ADOPTION,
  production: PRODUCTION_ADOPTION,
};
