/**
 * (family module; forms are registered on import)
 */
export {};
