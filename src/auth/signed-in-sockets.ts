import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import {
  type AppEvent,
  AUTH_CHANNEL,
  type EventBus,
  type Unsubscribe,
} from '../events/event.types.js';
import { stillSignedIn, type Authentication } from './auth.guard.js';
import { endsLogin } from './auth.revocation.js';

/** Sockets re-check their logins in the database and hear of ended ones on the bus. */
export interface SocketLoginDeps {
  db: Db;
  config: Config;
  events: EventBus;
}

/** Close code of a socket whose login ended (4000–4999 are for applications). */
export const SIGNED_OUT_CLOSE_CODE = 4401;

/**
 * The open WebSockets of this process and the login each was opened with. A socket closes as soon
 * as the bus announces its login ended (in any process), and on a timer when the login ran out
 * (idle or absolute expiry, token expiry) or ended without an announcement.
 */
export class SignedInSockets {
  private readonly sockets = new Map<WebSocket, Authentication>();
  private unsubscribe: Unsubscribe | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: SocketLoginDeps,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.events.subscribe(AUTH_CHANNEL, (event) =>
      this.onEvent(event),
    );
    this.timer = setInterval(() => {
      this.revalidate().catch((error: unknown) =>
        this.log.warn({ err: error }, 're-validating WebSocket logins failed'),
      );
    }, this.deps.config.WS_REVALIDATE_SECONDS * 1000);
    this.timer.unref();
  }

  add(socket: WebSocket, auth: Authentication): void {
    this.sockets.set(socket, auth);
    socket.once('close', () => this.sockets.delete(socket));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unsubscribe?.();
  }

  private signOut(socket: WebSocket): void {
    this.sockets.delete(socket);
    socket.close(SIGNED_OUT_CLOSE_CODE, 'Signed out');
  }

  private onEvent(event: AppEvent): void {
    if (event.type !== 'auth.revoked') return;
    for (const [socket, auth] of this.sockets) {
      if (endsLogin(event, auth)) this.signOut(socket);
    }
  }

  private async revalidate(): Promise<void> {
    for (const [socket, auth] of [...this.sockets]) {
      if (!(await stillSignedIn(this.deps, auth))) this.signOut(socket);
    }
  }
}
