// Graph's profile properties of a user (name, mail, phones, office): set on creation, changed one by
// one, cleared with null.
import type { UserProfile } from "./model.js";

/** A profile with nothing set. */
export const emptyProfile: UserProfile = {
  givenName: null,
  surname: null,
  mail: null,
  jobTitle: null,
  mobilePhone: null,
  officeLocation: null,
  preferredLanguage: null,
  businessPhones: [],
};

/** Profile properties a request names: a value sets one, null clears it, left out keeps it. */
export type ProfileChanges = {
  readonly [K in keyof UserProfile]?: UserProfile[K] | null | undefined;
};

const profileProperties = Object.keys(emptyProfile) as (keyof UserProfile)[];

/** `profile` with `changes` applied; other members of `changes` (a whole request's input) are ignored. */
export function changeProfile(profile: UserProfile, changes: ProfileChanges): UserProfile {
  const changed = profileProperties.flatMap((name) => {
    const value = changes[name];
    return value === undefined ? [] : [[name, value ?? emptyProfile[name]] as const];
  });
  return { ...profile, ...Object.fromEntries(changed) };
}

/** The alias of a userPrincipalName (before the @): the mailNickname of a user created without one. */
export const aliasOf = (userPrincipalName: string): string =>
  userPrincipalName.slice(0, userPrincipalName.lastIndexOf("@"));
