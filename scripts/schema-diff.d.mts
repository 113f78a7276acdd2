export function forPostgres(schema: string): string;
export function readSchema(): string;
export function schemaDiff(provider: 'sqlite' | 'postgresql', from: string | null, to: string, postgresUrl?: string): Promise<string>;
