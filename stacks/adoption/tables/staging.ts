import type { AdoptionTable } from "../adoption-table";
import { COMMON_ADOPTION } from "./common";

/**
 * How staging takes over the state its hand-written HCL left at the same key (see docs/adoption.md):
 * the shared table (common.ts) plus what only staging has. Legacy addresses: the reference HCL at 4823a86c
 * (WORKLOAD.md section 11). Targets: construct paths below the stack. Derived by matching type and physical
 * name against __tests__/fixtures/legacy-state/staging.tfstate.json, then reviewed; the adoption tests check
 * it against that fixture in both directions.
 */
export const STAGING_ADOPTION: AdoptionTable = {
  moves: {
    ...COMMON_ADOPTION.moves,
    "aws_sns_platform_application.OfflineMediaDownloader[0]":
      "media-downloader/push-notifications/application",
  },
  forget: {
    ...COMMON_ADOPTION.forget,
  },
  retire: {
    ...COMMON_ADOPTION.retire,
  },
};
