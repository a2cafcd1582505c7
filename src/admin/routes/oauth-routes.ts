import type { FastifyInstance, FastifyReply } from 'fastify';
import { SwitchyardError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validation.js';
import type { LoginStatus, OAuthLogin } from '../../providers/auth/oauth-login.js';
import type { RoutePolicy } from '../../server/route-policy.js';
import { toPublicAccount } from '../../store/public-account.js';
import {
  type OAuthCompleteResult,
  type OAuthLoginStatusView,
  type OAuthStartResult,
  oauthCompleteBody,
  oauthStartBody,
} from '../contracts.js';
import { adminRoute } from './admin-route.js';
import type { RuntimeInfo } from './status-routes.js';

export interface OAuthRouteDependencies {
  accountServices: { oauthLogin: OAuthLogin };
  runtime: Pick<RuntimeInfo, 'boundAddress'>;
}

/** The browser lands here without admin credentials: the unguessable `state` is what ties it to a sign-in. */
const publicRoute = { config: { policy: { dialect: 'admin', auth: 'public' } satisfies RoutePolicy } };

/** `http://<loopback address>:<port>/auth/callback` of this gateway. */
export function defaultRedirectUri(address: { host: string; port: number } | null): string {
  const host = address?.host ?? '127.0.0.1';
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${address?.port ?? 8045}/auth/callback`;
}

function statusView(state: string, status: LoginStatus): OAuthLoginStatusView {
  const view: OAuthLoginStatusView = { state, status: status.status, provider: status.provider };
  if (status.status === 'completed') {
    view.account = toPublicAccount(status.account);
    view.created = status.created;
  }
  if (status.status === 'failed') view.error = status.error;
  return view;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(reply: FastifyReply, options: { status: number; title: string; message: string }) {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Switchyard — ${escapeHtml(options.title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto"><h1>${escapeHtml(options.title)}</h1><p>${escapeHtml(options.message)}</p></body></html>`;
  return reply.status(options.status).type('text/html; charset=utf-8').send(html);
}

/**
 * Adding OAuth accounts by signing in: start (authorization URL), the public browser callback,
 * completion by pasting the redirect URL or code, and the status of a sign-in.
 */
export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDependencies): void {
  const login = deps.accountServices.oauthLogin;

  app.post('/api/accounts/oauth/start', adminRoute, async (request): Promise<OAuthStartResult> => {
    const body = parseOrThrow(oauthStartBody, request.body ?? {}, 'sign-in');
    const started = login.start({
      provider: body.provider,
      redirectUri: body.redirect_uri ?? defaultRedirectUri(deps.runtime.boundAddress()),
    });
    return {
      state: started.state,
      provider: started.provider,
      authorization_url: started.authorizationUrl,
      redirect_uri: started.redirectUri,
      expires_at: new Date(started.expiresAt).toISOString(),
    };
  });

  app.post('/api/accounts/oauth/complete', adminRoute, async (request): Promise<OAuthCompleteResult> => {
    const body = parseOrThrow(oauthCompleteBody, request.body, 'sign-in completion');
    const done = await login.complete({ redirectUrl: body.redirect_url, code: body.code, state: body.state });
    return { account: toPublicAccount(done.account), created: done.created };
  });

  app.get<{ Params: { state: string } }>('/api/accounts/oauth/:state', adminRoute, async (request) => {
    const status = login.status(request.params.state);
    if (!status) throw new SwitchyardError('not_found', 'Unknown or expired sign-in');
    return statusView(request.params.state, status);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/auth/callback',
    publicRoute,
    async (request, reply) => {
      const { code, state, error } = request.query;
      try {
        const done = await login.complete({ code, state: state ?? '', error });
        const verb = done.created ? 'added' : 're-authorized';
        return page(reply, {
          status: 200,
          title: 'Account connected',
          message: `${done.account.email} was ${verb}. You can close this tab.`,
        });
      } catch (failure) {
        const status = failure instanceof SwitchyardError ? failure.status : 500;
        const message = failure instanceof Error ? failure.message : String(failure);
        return page(reply, { status, title: 'Sign-in failed', message });
      }
    },
  );
}
