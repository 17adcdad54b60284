/** Names of the account-level identities, in the bootstrap's namespace (never an environment prefix). */
export function bootstrapNames(namePrefix: string) {
  return {
    deployRole: (environment: string) => `${namePrefix}-MediaDownloader-${environment}-deploy`,
    planRole: (environment: string) => `${namePrefix}-MediaDownloader-${environment}-plan`,
    apiGatewayLogsRole: `${namePrefix}-MediaDownloader-apigateway-logs`,
    keyAlias: (purpose: string, region: string) => `${namePrefix}-media-downloader-${purpose}-${region}`,
  };
}
