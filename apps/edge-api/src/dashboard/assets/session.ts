import { api, userPath } from './api.js';

export interface Session {
  username: string;
  role: 'admin' | 'user';
  csrf_token: string;
  expires_at: string;
}

/** What every page gets: who is signed in, where to draw, and a way to stop its timers when left. */
export interface PageContext {
  session: Session;
  main: HTMLElement;
  onLeave(cleanup: () => void): void;
}

export interface CatalogModel {
  id: string;
  kind: 'provider' | 'rotation' | 'autoselect';
  description: string | null;
  privacy: boolean;
  capabilities: string[];
}

/** The route ids this user can call (GET /models), for pickers. */
export async function loadCatalog(session: Session): Promise<CatalogModel[]> {
  try {
    const { data } = await api<{ data: CatalogModel[] }>('GET', userPath(session.username, 'models'));
    return data.data;
  } catch {
    return [];
  }
}
