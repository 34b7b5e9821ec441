/** `client revoke-permission`: takes effect for new token and linking requests within a second, on every instance. */
import { permissionCommand } from './client-grant-permission.ts';

export const clientRevokePermission = permissionCommand(false);
