/** Which database a process opens: the SQLite file, or the PostgreSQL server at `url`. */
export type StoreLocation = { backend: 'sqlite'; file: string } | { backend: 'postgres'; url: string };
