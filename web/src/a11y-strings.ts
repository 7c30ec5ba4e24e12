// The one accessibility string not yet in the message catalogue: the password rule, shown by
// the users page (src/pages/users.tsx). Its translation is in the catalogue as `a11y.passwordRule`;
// when the users page is converted it takes t('a11y.passwordRule') and this file goes.

export const PASSWORD_RULE = 'At least 10 characters.';
