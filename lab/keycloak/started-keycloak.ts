/** A running Keycloak, however it was started (native distribution or container). */
export interface StartedKeycloak {
  /** The base URL browsers use, e.g. http://localhost:8080. */
  getUrl(): string;
  /** The management interface, where /health/ready lives. */
  getManagementUrl(): string;
  /** Where its log goes, for error messages. */
  getLogPath(): string | undefined;
  getVersion(): string;
  /** The features it was started with (`--features`); empty for Keycloak's defaults. */
  getFeatures(): readonly string[];
  stop(): Promise<void>;
}
