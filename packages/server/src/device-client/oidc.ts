/**
 * openid-client configuration for the device-flow CLI: discovery with the api-key as
 * client_secret_post, every request made by http.ts (so a connection failure says why).
 */
import * as client from 'openid-client';
import { nodeFetch } from './http.ts';

export async function discover(issuer: string, clientId: string, clientSecret: string | undefined): Promise<client.Configuration> {
  const url = new URL(issuer);
  const insecure = url.protocol === 'http:';
  return client.discovery(url, clientId, undefined, clientSecret ? client.ClientSecretPost(clientSecret) : client.None(), {
    [client.customFetch]: nodeFetch,
    ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
  });
}

export { client };
