/** What the tutorial's whoami answers when the request carries no user. */
export const notAuthenticated = JSON.stringify({ error: 'Not authenticated' });
