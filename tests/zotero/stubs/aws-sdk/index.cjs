// translation-server's textSearch.js creates an AWS Lambda client at load time for its
// identifier search, which the handbook's test never calls (config "identifierSearchLambda"
// is empty). This stand-in lets the server load without the aws-sdk package; any call
// to it fails loudly.
class Lambda {
	invoke() {
		throw new Error("aws-sdk stand-in: identifier search is not part of the handbook's Zotero test");
	}
}
module.exports = { Lambda };
