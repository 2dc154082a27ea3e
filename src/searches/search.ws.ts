import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth.guard.js';
import { SignedInSockets } from '../auth/signed-in-sockets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import {
  type AppEvent,
  type EventBus,
  searchChannel,
  type Unsubscribe,
} from '../events/event.types.js';
import type { SearchEvent, SocketMessage } from '../contracts/search-events.contract.js';
import { AppError } from '../shared/app-error.js';
import { getAppearances } from './result.service.js';
import { findSearchRole, getSearchVideos, requireSearch } from './search.service.js';

/** Sockets subscribe on the bus and check access in the database. */
export interface SearchSocketDeps {
  db: Db;
  config: Config;
  events: EventBus;
}

const clientMessageSchema = z.object({
  type: z.enum(['subscribe', 'unsubscribe']),
  searchId: z.uuid(),
});

const wsQuerySchema = z.object({
  token: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'bearer token (browsers cannot set headers)' }),
});

function send(socket: WebSocket, message: SocketMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

const searchNotFound = (searchId: string): SocketMessage => ({
  type: 'error',
  code: 'NOT_FOUND',
  message: 'Search not found',
  searchId,
});

/**
 * One connection: the searches it follows. Events that arrive while a snapshot is being read are
 * held back and sent after it, so the client sees the snapshot first and misses nothing. Each
 * event is sent only while the user is still a member of the search's case: a revoked member's
 * subscription ends with the next event, and events keep their order.
 */
class SearchSubscriptions {
  private readonly active = new Map<string, Promise<Unsubscribe>>();
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: SearchSocketDeps,
    private readonly socket: WebSocket,
    private readonly user: AuthUser,
  ) {}

  async handle(raw: string): Promise<void> {
    let message: z.output<typeof clientMessageSchema>;
    try {
      message = clientMessageSchema.parse(JSON.parse(raw));
    } catch {
      send(this.socket, {
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: 'Send {"type":"subscribe"|"unsubscribe","searchId":"<uuid>"}',
      });
      return;
    }
    if (message.type === 'subscribe') await this.subscribe(message.searchId);
    else await this.unsubscribe(message.searchId);
  }

  private async subscribe(searchId: string): Promise<void> {
    if (!(await findSearchRole(this.deps.db, this.user.id, searchId))) {
      send(this.socket, searchNotFound(searchId));
      return;
    }
    if (this.active.has(searchId)) await this.unsubscribe(searchId);

    let held: SearchEvent[] | null = [];
    const forward = (event: AppEvent) => {
      if (event.type === 'auth.revoked' || event.type === 'auth.changed') return;
      if (held) held.push(event);
      else this.deliver(searchId, event);
    };
    const subscription = this.deps.events.subscribe(searchChannel(searchId), forward);
    this.active.set(searchId, subscription);
    await subscription;
    // The snapshot is read after the subscription is live, so nothing falls between the two.
    const [current, videos, appearances] = await Promise.all([
      requireSearch(this.deps.db, this.user.id, searchId, 'read'),
      getSearchVideos(this.deps.db, this.user.id, searchId),
      getAppearances(this.deps.db, this.user.id, searchId, {}),
    ]);
    send(this.socket, {
      type: 'snapshot',
      searchId,
      status: current.status,
      videos,
      appearances,
    });
    const pending = held;
    held = null;
    for (const event of pending) send(this.socket, event);
  }

  private deliver(searchId: string, event: SearchEvent): void {
    this.delivery = this.delivery
      .then(async () => {
        if (!this.active.has(searchId)) return;
        if (await findSearchRole(this.deps.db, this.user.id, searchId)) {
          send(this.socket, event);
          return;
        }
        await this.unsubscribe(searchId);
        send(this.socket, searchNotFound(searchId));
      })
      .catch(() => {
        // A failed check sends nothing: never an event the user may no longer see.
      });
  }

  private async unsubscribe(searchId: string): Promise<void> {
    const subscription = this.active.get(searchId);
    this.active.delete(searchId);
    if (subscription) await (await subscription)();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((searchId) => this.unsubscribe(searchId)));
  }
}

/**
 * `GET /api/ws`: live events of the caller's searches. Authenticated on the upgrade by the
 * session cookie, the Authorization header or `?token=`; a refused upgrade answers 401.
 */
export const searchWsRoutes: FastifyPluginAsyncZod<{ deps: SearchSocketDeps }> = async (
  app,
  { deps },
) => {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Each socket closes when the login it was opened with ends.
  const signedIn = new SignedInSockets(deps, app.log);
  await signedIn.start();
  app.addHook('onClose', () => signedIn.stop());
  const allowedOrigin = (origin: string, host: string): boolean => {
    if (deps.config.CORS_ORIGINS.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };

  app.get(
    '/ws',
    {
      websocket: true,
      schema: {
        tags: ['live events'],
        summary:
          'WebSocket of search events: send {type:"subscribe",searchId}; receive a snapshot, then ' +
          'search.status, search.progress and search.detection events',
        querystring: wsQuerySchema,
      },
      preValidation: async (request) => {
        const { token } = request.query;
        const headers = token ? { authorization: `Bearer ${token}` } : request.headers;
        const auth = await app.authenticateSocket(headers);
        if (!auth) throw new AppError('UNAUTHENTICATED', 'Sign in, or pass ?token=<bearer token>');
        // Browsers send the session cookie with a WebSocket opened by any site: only our own
        // pages (or an allowed origin) may use it. Tokens are not sent by browsers on their own.
        const origin = request.headers.origin;
        if (auth.method === 'session' && origin && !allowedOrigin(origin, request.host)) {
          throw new AppError('FORBIDDEN', 'WebSocket connections from other sites are refused');
        }
        request.user = auth.user;
        request.authentication = auth;
      },
    },
    (socket, request) => {
      signedIn.add(socket, request.authentication);
      const subscriptions = new SearchSubscriptions(deps, socket, request.user);
      socket.on('message', (data: Buffer) => {
        subscriptions.handle(data.toString('utf8')).catch((error: unknown) => {
          request.log.error({ err: error }, 'a WebSocket message failed');
          send(socket, { type: 'error', code: 'INTERNAL', message: 'The request failed' });
        });
      });
      socket.on('close', () => {
        subscriptions.closeAll().catch((error: unknown) => {
          request.log.warn({ err: error }, 'closing WebSocket subscriptions failed');
        });
      });
    },
  );
};
