// One normalisation for what identifies a person, wherever it is looked up or counted: a
// username or mobile typed with spaces, full-width characters or another case is the same
// person to the login, the reset, the store's unique index and every attempt limit.

/** NFKC (full-width → half-width), trimmed, lower case: the key a username is found and counted by. */
export const usernameKey = (username: string): string => username.normalize('NFKC').trim().toLowerCase();

/** NFKC, without spaces or dashes: "139 1234-5678" and "１３９１２３４５６７８" are one mobile. */
export const mobileKey = (mobile: string): string => mobile.normalize('NFKC').replace(/[\s-]/g, '');
