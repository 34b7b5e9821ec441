/** openid-client configuration for the device-flow CLI: discovery with the api-key as client_secret_post. */
import * as client from 'openid-client';

export async function discover(issuer: string, clientId: string, clientSecret: string | undefined): Promise<client.Configuration> {
  const url = new URL(issuer);
  const insecure = url.protocol === 'http:';
  return client.discovery(
    url,
    clientId,
    undefined,
    clientSecret ? client.ClientSecretPost(clientSecret) : client.None(),
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
}

export { client };
