// How long a request may take, its answer's body included, before the console gives up on it and
// says so (./client.ts): no spinner lasts longer. The service answers in well under a second; 10 s
// leaves room for a cold start without leaving the admin waiting on a service that is gone.
export const requestTimeoutMs = 10_000;
