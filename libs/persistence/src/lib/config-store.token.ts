/** Nest injection token for the active ConfigStore. */
export const CONFIG_STORE = Symbol('CONFIG_STORE');
