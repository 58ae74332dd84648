/** What globalSetup hands to test files (through vitest's provide/inject). */
export interface TestServers {
  embedded: { host: string; port: number; user: string; password: string };
  /** TEST_DATABASE_URL when set: the same tests also run against that server. */
  serverUrl: string | null;
}

export const TEMPLATE_DB = 'tumbuh_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    tumbuhTestServers: TestServers;
  }
}
