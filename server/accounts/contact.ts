// How the platform checks a person's contact details, wherever they are entered (registration, a region's liaisons).
export const MOBILE = /^1[3-9]\d{9}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
