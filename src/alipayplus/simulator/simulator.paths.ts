/** Control routes for scripts and manual testing; unsigned, and only where the simulator is mounted. */
export const CONTROL_PREFIX = '/_simulator';

/** The wallet's consent page: prepare's authUrl points here, its form posts back here. */
export const WALLET_AUTHORIZE_PATH = `${CONTROL_PREFIX}/wallet/authorize`;
