/** A client message id: unique per sender, so a resend is applied once. */
export const newClientId = (): string => crypto.randomUUID();
