// A user's panel has its own address, /users/<id>. A link that opens it carries `closeGoesBack` in
// its history entry, so the panel's Close goes back in history to where the link was (the Users list
// with its search, a product's holders); opened any other way (typed, bookmarked), Close goes to the
// Users list.
export const closeGoesBack = { closeGoesBack: true } as const;

export const isCloseGoesBack = (state: unknown): boolean =>
  typeof state === "object" && state !== null && "closeGoesBack" in state;
